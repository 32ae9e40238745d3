/**
 * @module
 * anymail: send email through any ESP, and receive its webhooks as normalized events.
 */

// sending
export { createSender, Sender } from "./sender/sender.js";
export type {
  SenderOptions,
  CreateSenderOptions,
  PreSendListener,
  PostSendListener,
} from "./sender/sender.js";
export type {
  EspOptions,
  EspOptionsMap,
  EspWebhookOptions,
  KnownEspName,
} from "./esps/registry.js";
export type {
  AnymailMessage,
  AttachmentInput,
  AlternativeInput,
  SendDefaults,
  NormalizedMessage,
  NormalizedAttachment,
  JsonObject,
} from "./sender/message.js";
export { AnymailStatus } from "./sender/status.js";
export type { SendStatus, RecipientStatus, EspHttpResponse } from "./sender/status.js";
export { EmailAddress, parseAddressList, formatAddress } from "./sender/address.js";
export type { AddressInput, AddressListInput } from "./sender/address.js";
export { attachInlineImage, attachInlineImageFile } from "./sender/inline-images.js";
export type {
  RequestsTimeout,
  FetchLike,
  HttpTransport,
  TransportRequest,
  TransportResponse,
} from "./sender/http.js";
export { knownEspNames } from "./esps/registry.js";
// ESP-specific helpers, re-exported by the registry (the one place that names ESPs)
export { mailerSendBulkStatus } from "./esps/registry.js";
export type { MailerSendBulkStatus, MailerSendBulkStatusOptions } from "./esps/registry.js";
export type { EspAdapter, FeatureSupport } from "./esps/types.js";
export {
  AnymailError,
  AnymailAPIError,
  AnymailRecipientsRefused,
  AnymailUnsupportedFeature,
  AnymailInvalidAddress,
  AnymailSerializationError,
  AnymailCancelSend,
  AnymailConfigurationError,
  AnymailWebhookValidationFailure,
  AnymailImproperlyInstalled,
  AnymailWebhookUnavailable,
} from "./errors.js";

// receiving
export { anymailRouter } from "./middleware/router.js";
export type { AnymailRouter, AnymailRouterOptions } from "./middleware/router.js";
export { createWebhookHandler } from "./middleware/fetch.js";
export type { AnymailFetchHandler, AnymailFetchHandlerOptions } from "./middleware/fetch.js";
export type { BodyLimits } from "./middleware/body.js";
export { AnymailInboundTooLarge } from "./events/mime-limits.js";
export { AnymailEmitter } from "./events/emitter.js";
export type { AnymailEvents, AnymailChannel, AnymailDispatchArgs } from "./events/emitter.js";
export { AnymailTrackingEvent, asTrackingEvent } from "./events/tracking.js";
export type {
  AnymailTrackingEventInit,
  EngagementEventType,
  RejectReason,
  TrackingEvent,
  TrackingEventOf,
  TrackingEventType,
} from "./events/tracking.js";
export { AnymailInboundEvent } from "./events/inbound.js";
export type { AnymailInboundEventInit } from "./events/inbound.js";
export { AnymailInboundMessage } from "./events/inbound-message.js";
export type {
  AnymailEvent,
  Logger,
  WebhookContext,
  WebhookFile,
  WebhookHandler,
  WebhookRequest,
} from "./esps/types.js";
export { MemoryReplayStore } from "./util/replay-store.js";
export type { ReplayStore } from "./util/replay-store.js";
