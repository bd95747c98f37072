import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { fail } from "../errors";
import { readObject } from "../read-once";
import { isToken } from "../tokens";
import { isMintedDelivery, recordDelivery, registerDeliveryClass } from "./minted";

/** What a delivery receives: the newest secret of a client, as Terraform references. */
export interface SecretDeliveryTarget {
  /** The construct under which the delivery's resources are created (the client). */
  readonly scope: Construct;
  /** The newest secret's value, as a token (a Terraform reference, never a literal). */
  readonly secretValue: string;
  /** The newest secret's end date (RFC 3339), as a token. */
  readonly endDate: string;
  /** The client's display name. */
  readonly displayName: string;
  /** The client's application (client) id, as a token. */
  readonly clientId: string;
}

/** Options of {@link SecretDelivery.output}. */
export interface SecretOutputOptions {
  /**
   * The Terraform output's name, exactly as `terraform output -raw <name>` expects it: a letter or
   * underscore, then letters, digits, underscores or dashes.
   * @default a name derived from the client's construct path (`<path>_ClientSecretOutput_<hash>`)
   */
  readonly outputName?: string;
}

/** A nominal brand for the compiler only: a plain object does not match the type. */
declare const DELIVERY_BRAND: unique symbol;

/**
 * Where a client secret goes once created: its newest value is routed by reference, never written
 * as a literal. `SecretDelivery.output()` is here; `SecretDelivery.keyVault()` lives in the
 * `cdktf-machine-clients/azurerm` entry point so that the main entry point does not need
 * `@cdktf/provider-azurerm`.
 */
export abstract class SecretDelivery {
  /**
   * A `sensitive` Terraform output holding the newest secret, for pipelines that hand it on
   * (`terraform output -raw <name>`). Terraform keeps it out of plan and apply logs.
   * @default outputName derived from the client's construct path
   */
  public static output(options: SecretOutputOptions = {}): SecretDelivery {
    // Read once: the copy is what is validated and synthesized.
    const { outputName } = readObject("SecretDelivery.output", options, ["outputName"], "options", {
      code: "SECRET_OUTPUT_OPTIONS_INVALID",
      problem: "options must be an object",
      fix: 'Write e.g. SecretDelivery.output({ outputName: "billing_sync_client_secret" }), or leave the options out.',
    });
    return new OutputDelivery(outputName as string | undefined);
  }

  /**
   * True when `x` is a delivery made by this library's factories (not a copy, Proxy or look-alike
   * of one, nor an instance of a subclass written elsewhere).
   */
  public static isSecretDelivery(x: unknown): x is SecretDelivery {
    return isMintedDelivery(x);
  }

  /** `instanceof` holds for deliveries the library made only. */
  public static [Symbol.hasInstance](x: unknown): boolean {
    return isMintedDelivery(x) && Function.prototype[Symbol.hasInstance].call(this, x);
  }

  declare private readonly [DELIVERY_BRAND]: true;

  protected constructor() {
    // Sealed: only instances of the library's own delivery classes count.
    recordDelivery(this, new.target);
  }

  /**
   * Checks the delivery's settings before anything is created.
   * @param where the client's construct path and credential, for error messages
   */
  public abstract validate(where: string): void;

  /** The delivery as recorded in the declared model, e.g. `terraform-output` or `key-vault:<name>`. */
  public abstract describe(): string;

  /** Creates the delivery's resources. Called once, by the secret credential's `bind`. */
  public abstract deliver(target: SecretDeliveryTarget): void;
}

class OutputDelivery extends SecretDelivery {
  public constructor(private readonly outputName: string | undefined) {
    super();
    Object.freeze(this);
  }

  public validate(where: string): void {
    const name = this.outputName;
    if (name === undefined || isToken(name)) return;
    if (typeof name !== "string" || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
      fail(
        "SECRET_OUTPUT_NAME_INVALID",
        `${where} › SecretDelivery.output`,
        "outputName must start with a letter or underscore and hold only letters, digits, underscores and dashes",
        name,
        'Use e.g. outputName: "billing_sync_client_secret".',
      );
    }
  }

  public describe(): string {
    return "terraform-output";
  }

  public deliver(target: SecretDeliveryTarget): void {
    // One construct id whatever the name (a name such as "Application" must not collide with
    // the client's other children); a given name is the output's Terraform name.
    const output = new TerraformOutput(target.scope, "ClientSecretOutput", {
      value: target.secretValue,
      sensitive: true,
      description: `Client secret of ${target.displayName} (the newest; it ends at its end date)`,
    });
    if (this.outputName !== undefined) output.overrideLogicalId(this.outputName);
  }
}

// Only the library's deliveries route a secret; their statics and methods cannot be replaced.
registerDeliveryClass(OutputDelivery);
Object.freeze(SecretDelivery);
Object.freeze(SecretDelivery.prototype);
Object.freeze(OutputDelivery.prototype);
