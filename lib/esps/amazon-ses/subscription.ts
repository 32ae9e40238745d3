/**
 * @module
 * SNS subscription confirmation for the SES webhook URLs (spec "Confirming SNS subscriptions").
 */
import { AnymailWebhookValidationFailure } from "../../errors.js";
import { badPayload } from "../../util/payload.js";
import type { WebhookContext, WebhookRequest } from "../types.js";
import { clientConfig, loadSdk, toApiError, withAnymailUserAgent } from "./aws.js";
import type { WebhookSettings } from "./index.js";
import type { SnsMessage } from "./sns.js";

/**
 * Answers a SubscriptionConfirmation (spec "Confirming SNS subscriptions"): confirmed with
 * SNS ConfirmSubscription in the topic's own region only when auto-confirm is on and the
 * request carried the webhook secret; otherwise an error carrying the token for manual
 * confirmation. (A valid signature alone is not enough: any AWS user's topic is signed.)
 */
export async function confirmSubscription(
  message: SnsMessage,
  request: WebhookRequest,
  context: WebhookContext<WebhookSettings>,
): Promise<void> {
  const { settings, espName } = context;
  if (!settings.autoConfirmSnsSubscriptions || !request.basicAuthPassed) {
    const why = !settings.autoConfirmSnsSubscriptions
      ? "autoConfirmSnsSubscriptions is off"
      : "the request did not carry the webhook secret";
    throw new AnymailWebhookValidationFailure(
      `${espName} webhook: unexpected SNS SubscriptionConfirmation for topic ` +
        `${message.TopicArn ?? "<missing>"} (${why}). Anymail confirms SNS subscriptions automatically when ` +
        `a webhook secret is set and used in the SNS endpoint URL. Or confirm this ` +
        `subscription yourself in the SNS console with token "${String(message.Token)}".`,
      { espName },
    );
  }
  const region = message.TopicArn?.split(":")[3];
  if (!region || typeof message.Token !== "string") {
    throw badPayload(context, "SNS", "SubscriptionConfirmation with an invalid TopicArn or Token");
  }
  const { SNSClient, ConfirmSubscriptionCommand } = (await loadSdk(
    "sns",
    settings,
  )) as typeof import("@aws-sdk/client-sns");
  const client = withAnymailUserAgent(new SNSClient(clientConfig(settings, { region })));
  try {
    await client.send(
      new ConfirmSubscriptionCommand({
        TopicArn: message.TopicArn,
        Token: message.Token,
        AuthenticateOnUnsubscribe: "true",
      }),
    );
  } catch (error) {
    throw toApiError(error, "SNS ConfirmSubscription", espName);
  } finally {
    client.destroy();
  }
}
