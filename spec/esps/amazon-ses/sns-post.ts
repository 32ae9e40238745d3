// Posts an SNS message as Amazon SNS does: JSON as text/plain, with the x-amz-sns-* headers.
import type { WebhookApp } from "../../helpers/webhooks.js";

export function postSns(hook: WebhookApp, path: string, body: Record<string, unknown>) {
  return hook
    .post(path)
    .set("Content-Type", "text/plain; charset=UTF-8")
    .set("x-amz-sns-message-type", String(body.Type))
    .set("x-amz-sns-message-id", String(body.MessageId))
    .set("x-amz-sns-topic-arn", String(body.TopicArn))
    .set("User-Agent", "Amazon Simple Notification Service Agent")
    .send(JSON.stringify(body));
}
