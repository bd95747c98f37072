import { App } from "cdktf";
import { DirectoryStack } from "./directory";
import { OrdersStack } from "./orders";

// `cdktf synth` (cdktf.json: "app") runs this file and writes cdktf.out/stacks/<stack>/cdk.tf.json.
const app = new App();
new OrdersStack(app, "orders");
new DirectoryStack(app, "directory");
app.synth();
