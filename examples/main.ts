import { App } from "cdktf";
import { IntegrationsStack } from "./integrations";
import { DirectoryStack } from "./directory";
import { OrdersStack } from "./orders";
import { PolicyStack } from "./policy";

// `cdktf synth` (cdktf.json: "app") runs this file and writes cdktf.out/stacks/<stack>/cdk.tf.json.
const app = new App();
new OrdersStack(app, "orders");
new PolicyStack(app, "policy");
new IntegrationsStack(app, "integrations");
new DirectoryStack(app, "directory");
app.synth();
