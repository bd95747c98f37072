import { App } from "cdktf";
import { OrdersStack } from "./orders";

// `cdktf synth` (cdktf.json: "app") runs this file and writes cdktf.out/stacks/orders/cdk.tf.json.
const app = new App();
new OrdersStack(app, "orders");
app.synth();
