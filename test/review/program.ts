/** The review fixture as a Pulumi program: `aml-events plan --program <this file> --config review:variant=<variant>`. */
import * as pulumi from "@pulumi/pulumi";
import { declareReviewFixture, Variant, VARIANTS } from "./fixture";

const variant = new pulumi.Config("review").get("variant") ?? "base";
if (!(VARIANTS as readonly string[]).includes(variant)) throw new Error(`review:variant ${JSON.stringify(variant)} is not one of ${VARIANTS.join(", ")}`);
export const outputs = declareReviewFixture(variant as Variant);
