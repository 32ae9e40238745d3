/**
 * @module
 * SNS subscription confirmation for the SES webhook URLs (spec "Confirming SNS subscriptions").
 */
import { AnymailError, AnymailWebhookValidationFailure } from "../../errors.js";
import type { WebhookContext, WebhookRequest } from "../types.js";
import { clientConfig, loadSdk, toApiError } from "./aws.js";
import type { AmazonSesWebhookOptions, SnsMessage } from "./sns.js";

/**
 * Answers a SubscriptionConfirmation (spec "Confirming SNS subscriptions"): confirmed with
 * SNS ConfirmSubscription in the topic's own region only when auto-confirm is on and the
 * request carried the webhook secret; otherwise an error carrying the token for manual
 * confirmation. (A valid signature alone is not enough: any AWS user's topic is signed.)
 */
export async function confirmSubscription(
  message: SnsMessage,
  request: WebhookRequest,
  context: WebhookContext,
): Promise<void> {
  const settings = context.settings as AmazonSesWebhookOptions;
  if (settings.autoConfirmSnsSubscriptions === false || !request.basicAuthPassed) {
    const why =
      settings.autoConfirmSnsSubscriptions === false
        ? "autoConfirmSnsSubscriptions is off"
        : "the request did not carry the webhook secret";
    throw new AnymailWebhookValidationFailure(
      `Amazon SES webhook: unexpected SNS SubscriptionConfirmation for topic ` +
        `${message.TopicArn} (${why}). Anymail confirms SNS subscriptions automatically when ` +
        `a webhook secret is set and used in the SNS endpoint URL. Or confirm this ` +
        `subscription yourself in the SNS console with token "${String(message.Token)}".`,
      { espName: "Amazon SES" },
    );
  }
  const region = message.TopicArn.split(":")[3];
  if (!region || typeof message.Token !== "string") {
    throw new AnymailError(
      `Amazon SES webhook: SubscriptionConfirmation with an invalid TopicArn or Token`,
      { espName: "Amazon SES" },
    );
  }
  const { SNSClient, ConfirmSubscriptionCommand } = await loadSdk<
    typeof import("@aws-sdk/client-sns")
  >("sns", settings);
  const client = new SNSClient(clientConfig(settings, { region }));
  try {
    await client.send(
      new ConfirmSubscriptionCommand({
        TopicArn: message.TopicArn,
        Token: message.Token,
        AuthenticateOnUnsubscribe: "true",
      }),
    );
  } catch (error) {
    throw toApiError(error, "SNS ConfirmSubscription");
  } finally {
    client.destroy();
  }
}
