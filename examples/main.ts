import { App } from "cdktf";
import { IntegrationsStack } from "./integrations";
import { OrdersStack } from "./orders";
import { PolicyStack } from "./policy";

// `cdktf synth` (cdktf.json: "app") runs this file and writes cdktf.out/stacks/orders/cdk.tf.json.
const app = new App();
new OrdersStack(app, "orders");
new PolicyStack(app, "policy");
new IntegrationsStack(app, "integrations");
app.synth();
