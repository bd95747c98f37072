import {
  GRAPH_APPLICATION_PERMISSION_IDS,
  GRAPH_DELEGATED_PERMISSION_IDS,
  TIER0_GRAPH_APPLICATION_PERMISSIONS,
} from "../../src/check/graph-ids";

describe("Graph permission tables of check", () => {
  test("hold the documented ids of both kinds", () => {
    expect(GRAPH_APPLICATION_PERMISSION_IDS["df021288-bdef-4463-88db-98f22de89214"]).toBe(
      "User.Read.All",
    );
    expect(GRAPH_DELEGATED_PERMISSION_IDS["e1fe6dd8-ba31-4d61-89e7-88639da4683d"]).toBe(
      "User.Read",
    );
    expect(Object.keys(GRAPH_APPLICATION_PERMISSION_IDS)).toHaveLength(716);
    expect(Object.keys(GRAPH_DELEGATED_PERMISSION_IDS)).toHaveLength(807);
  });

  test("every tier-0 permission is a Graph application permission (no typo)", () => {
    const names = new Set(Object.values(GRAPH_APPLICATION_PERMISSION_IDS));
    expect(TIER0_GRAPH_APPLICATION_PERMISSIONS.filter((n) => !names.has(n))).toEqual([]);
    // The ten at least; the list is the library's own (src/graph/tier0.ts).
    expect(TIER0_GRAPH_APPLICATION_PERMISSIONS).toEqual(
      expect.arrayContaining([
        "RoleManagement.ReadWrite.Directory",
        "AppRoleAssignment.ReadWrite.All",
        "Application.ReadWrite.All",
        "Directory.ReadWrite.All",
        "Group.ReadWrite.All",
        "User.ReadWrite.All",
        "Mail.ReadWrite",
        "Mail.Send",
        "Files.ReadWrite.All",
        "Sites.FullControl.All",
      ]),
    );
  });
});
