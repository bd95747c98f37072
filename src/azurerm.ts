// The `cdktf-machine-clients/azurerm` entry point: deliveries that need `@cdktf/provider-azurerm`
// (an optional peer dependency). The main entry point never imports this file.
import type { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { isToken } from "./tokens";
import { fail } from "./errors";
import { registerDeliveryClass } from "./credentials/minted";
import { readProps, readRecord } from "./read-once";
import {
  SecretDelivery as CoreSecretDelivery,
  SecretDeliveryTarget,
} from "./credentials/secret-delivery";

/** Options of {@link SecretDelivery.keyVault}. */
export interface KeyVaultDeliveryOptions {
  /**
   * The key vault's resource id:
   * `/subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.KeyVault/vaults/{name}`.
   */
  readonly keyVaultId: string;
  /** The secret's name in the vault: 1 to 127 letters, digits and dashes. */
  readonly secretName: string;
  /**
   * Tags on the key vault secret.
   * @default no tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Where a client secret goes once created, including `SecretDelivery.keyVault()`. Extends the main
 * entry point's `SecretDelivery`, so `SecretDelivery.output()` works from here too.
 */
export abstract class SecretDelivery extends CoreSecretDelivery {
  /**
   * Writes the client's newest secret to an `azurerm_key_vault_secret`, with `expiration_date`
   * equal to that password's end date and a `content_type` naming the client. The value is routed
   * by reference (`azuread_application_password.….value`); it never appears in the synthesized
   * configuration. The vault keeps one version per rotation.
   */
  public static keyVault(options: KeyVaultDeliveryOptions): CoreSecretDelivery {
    keyVaultSecret("SecretDelivery.keyVault");
    return new KeyVaultDelivery(options);
  }
}

const AZURERM_PACKAGE = "@cdktf/provider-azurerm";
const KEY_VAULT_SECRET_MODULE = `${AZURERM_PACKAGE}/lib/key-vault-secret`;
let keyVaultSecretClass: typeof KeyVaultSecret | undefined;

/**
 * Loads `azurerm_key_vault_secret` from the optional peer `@cdktf/provider-azurerm` on first use,
 * so that a missing package is reported by name with the command that installs it. Only that
 * package's absence is translated; any other loading error is thrown as it is.
 */
function keyVaultSecret(where: string): typeof KeyVaultSecret {
  if (keyVaultSecretClass) return keyVaultSecretClass;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(KEY_VAULT_SECRET_MODULE) as { KeyVaultSecret: typeof KeyVaultSecret };
    keyVaultSecretClass = loaded.KeyVaultSecret;
    return keyVaultSecretClass;
  } catch (error) {
    const firstLine = String((error as Error | undefined)?.message ?? "").split("\n")[0];
    if (
      (error as { code?: unknown } | undefined)?.code === "MODULE_NOT_FOUND" &&
      firstLine.startsWith(`Cannot find module '${AZURERM_PACKAGE}`)
    ) {
      fail(
        "AZURERM_PROVIDER_MISSING",
        where,
        `SecretDelivery.keyVault needs the optional peer dependency ${AZURERM_PACKAGE}, which is not installed`,
        AZURERM_PACKAGE,
        `Install it: npm install ${AZURERM_PACKAGE}@^14.23.1`,
      );
    }
    throw error;
  }
}

const KEY_VAULT_ID =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/i;

/** The delivery made by {@link SecretDelivery.keyVault}. */
export class KeyVaultDelivery extends CoreSecretDelivery {
  /** The options given. */
  public readonly options: KeyVaultDeliveryOptions;

  /** Use {@link SecretDelivery.keyVault}. */
  public constructor(options: KeyVaultDeliveryOptions) {
    super();
    // Each option read once, tags copied: the copy is what is validated and synthesized.
    const where = "SecretDelivery.keyVault";
    const given: unknown = options;
    if (typeof given === "object" && given !== null) {
      const o = readProps(where, given, ["keyVaultId", "secretName", "tags"], "options");
      this.options = Object.freeze({
        keyVaultId: o.keyVaultId,
        secretName: o.secretName,
        ...(o.tags !== undefined ? { tags: readRecord(where, "options.tags", o.tags) } : {}),
      }) as KeyVaultDeliveryOptions;
    } else {
      this.options = given as KeyVaultDeliveryOptions;
    }
    Object.freeze(this);
  }

  /**
   * Checks the vault id and secret name before anything is created.
   * @param where - the client's construct path and credential, for error messages
   */
  public validate(where: string): void {
    const at = `${where} › SecretDelivery.keyVault`;
    const options: unknown = this.options;
    if (typeof options !== "object" || options === null) {
      fail(
        "KEY_VAULT_OPTIONS_MISSING",
        at,
        "keyVault needs options",
        options,
        "Pass { keyVaultId, secretName }.",
      );
    }
    const { keyVaultId, secretName } = this.options;
    if (
      !isToken(keyVaultId) &&
      (typeof keyVaultId !== "string" || !KEY_VAULT_ID.test(keyVaultId))
    ) {
      fail(
        "KEY_VAULT_ID_INVALID",
        at,
        "keyVaultId must be a key vault resource id",
        keyVaultId,
        'Use e.g. "/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>", or a reference such as vault.id.',
      );
    }
    if (
      !isToken(secretName) &&
      (typeof secretName !== "string" || !/^[0-9A-Za-z-]{1,127}$/.test(secretName))
    ) {
      fail(
        "KEY_VAULT_SECRET_NAME_INVALID",
        at,
        "secretName must be 1 to 127 letters, digits and dashes (Key Vault's rule)",
        secretName,
        'Use e.g. "billing-sync-client-secret".',
      );
    }
    const tags: unknown = this.options.tags;
    if (
      tags !== undefined &&
      (typeof tags !== "object" ||
        tags === null ||
        Array.isArray(tags) ||
        Object.values(tags).some((v) => typeof v !== "string"))
    ) {
      fail(
        "KEY_VAULT_TAGS_INVALID",
        at,
        "tags must be a record of strings",
        tags,
        'Use e.g. tags: { owner: "billing" }, or leave tags out.',
      );
    }
  }

  /** The delivery as recorded in the declared model: `key-vault:<secretName>`. */
  public describe(): string {
    return `key-vault:${this.options.secretName}`;
  }

  /** Creates the `azurerm_key_vault_secret`. Called once, by the secret credential's `bind`. */
  public deliver(target: SecretDeliveryTarget): void {
    const KeyVaultSecret = keyVaultSecret(`${target.scope.node.path} › SecretDelivery.keyVault`);
    new KeyVaultSecret(target.scope, "KeyVaultSecret", {
      keyVaultId: this.options.keyVaultId,
      name: this.options.secretName,
      value: target.secretValue,
      expirationDate: target.endDate,
      contentType: `client secret of ${target.displayName} (client id ${target.clientId})`,
      ...(this.options.tags ? { tags: { ...this.options.tags } } : {}),
    });
  }
}

// Only the library's own class counts as a delivery (a subclass written elsewhere does not).
registerDeliveryClass(KeyVaultDelivery);
Object.freeze(KeyVaultDelivery);
Object.freeze(KeyVaultDelivery.prototype);
Object.freeze(SecretDelivery);
