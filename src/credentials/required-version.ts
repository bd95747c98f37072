import { TerraformElement } from "cdktf";
import { Construct } from "constructs";

/**
 * The Terraform version that the library's plan-time expressions need: provider-defined functions
 * (`provider::time::rfc3339_parse`) arrived in Terraform 1.8, `plantimestamp()` in 1.5.
 */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.8.0";

const ELEMENT_ID = "RequiredTerraformVersion";

/**
 * Writes `terraform { required_version = "<constraint>" }` into the stack, merged into the block
 * that cdktf builds (required providers and backend stay as they are). Where the program sets its
 * own `required_version` with `stack.addOverride("terraform.required_version", …)`, both
 * constraints are kept, joined by a comma (Terraform requires all of them), so neither clobbers
 * the other. The element lives under `scope` (the client that needs it), so that removing the
 * client removes it; several clients write the same value.
 */
export function requireTerraformVersion(scope: Construct): void {
  if (scope.node.tryFindChild(ELEMENT_ID)) return;
  new RequiredTerraformVersion(scope, ELEMENT_ID);
}

class RequiredTerraformVersion extends TerraformElement {
  public toTerraform(): unknown {
    return { terraform: { required_version: this.constraint() } };
  }

  public toHclTerraform(): unknown {
    return this.toTerraform();
  }

  /**
   * The stack's overrides are merged after every element, so a `required_version` set there would
   * replace this one: add this constraint to it instead (once, however often synthesis asks).
   */
  private constraint(): string {
    const overrides = (this.cdktfStack as unknown as { rawOverrides?: Record<string, unknown> })
      .rawOverrides;
    const block = overrides?.terraform as Record<string, unknown> | undefined;
    const own = block?.required_version;
    if (block && typeof own === "string" && own.trim() !== "") {
      const parts = own.split(",").map((p) => p.trim());
      if (!parts.includes(REQUIRED_TERRAFORM_VERSION)) {
        block.required_version = [REQUIRED_TERRAFORM_VERSION, ...parts].join(", ");
      }
      return block.required_version as string;
    }
    return REQUIRED_TERRAFORM_VERSION;
  }
}
