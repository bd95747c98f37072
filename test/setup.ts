// Registers cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, toHaveDataSource, …).
import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

Testing.setupJest();
