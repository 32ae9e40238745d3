/**
 * @module
 * AnymailInboundMessage (placeholder: built out by the webhook issue, on mailparser).
 */
export class AnymailInboundMessage {}
