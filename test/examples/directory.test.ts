import { Testing } from "cdktf";
import { DirectoryStack } from "../../examples/directory";
import { dataOf, resourcesOf, synth } from "../util";

const GRAPH = "00000003-0000-0000-c000-000000000000";

describe("the example's Graph and existing-API clients", () => {
  const stack = new DirectoryStack(Testing.app(), "directory");
  const json = synth(stack);

  it("looks up Graph's and the payments API's service principals", () => {
    expect(
      dataOf(json, "azuread_service_principal")
        .map((d) => d.client_id)
        .sort(),
    ).toEqual([GRAPH, "6f1c2a34-1d2e-4f5a-9b8c-7d6e5f4a3b2c"].sort());
  });

  it("assigns every granted role with a plan-time role id check", () => {
    const assignments = resourcesOf(json, "azuread_app_role_assignment");
    expect(assignments).toHaveLength(5);
    for (const a of assignments) {
      expect(a.lifecycle.precondition).toHaveLength(1);
      expect(a.lifecycle.precondition[0].condition).toContain(`"${a.app_role_id}"`);
    }
  });

  it("records the tier-0 Mail.Send grant as privileged with its justification", () => {
    expect(stack.invoiceMailer.toModel().grants).toEqual([
      expect.objectContaining({
        scope: "Mail.Send",
        privileged: true,
        justification: expect.stringContaining("billing mailbox"),
      }),
    ]);
  });

  it("requests Graph's roles under Graph's client id", () => {
    const app = resourcesOf(json, "azuread_application").find(
      (a) => a.display_name === "directory-sync",
    )!;
    expect(app.required_resource_access).toEqual([
      {
        resource_app_id: GRAPH,
        resource_access: [
          { id: "98830695-27a2-44f7-8c18-0c3ebc9698f6", type: "Role" },
          { id: "df021288-bdef-4463-88db-98f22de89214", type: "Role" },
        ],
      },
    ]);
  });
});
