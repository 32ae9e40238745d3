// Types a TypeScript user leans on. The compile-time half is checked by `tsc` (npm run
// typecheck): each `@ts-expect-error` line must be an error, and `same<A, B>()` must hold.
// The run-time half checks that the values keep the promises the types make.
import { expect } from "chai";
import {
  AnymailEmitter,
  AnymailStatus,
  AnymailTrackingEvent,
  asTrackingEvent,
  type RejectReason,
  type TrackingEvent,
  type TrackingEventOf,
} from "../../lib/index.js";

/** Compiles only when A and B are the same type. */
type Same<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function same<A, B>(proof: Same<A, B>): void {
  void proof;
}

describe("Types", () => {
  describe("tracking events: a union discriminated on eventType", () => {
    it("narrows clickUrl to string for clicked, rejectReason by event type", () => {
      const seen: string[] = [];
      const emitter = new AnymailEmitter();
      emitter.on("tracking", (event) => {
        same<typeof event, TrackingEvent>(true);
        // @ts-expect-error clickUrl may be null until eventType says "clicked"
        const before: string = event.clickUrl;
        void before;
        if (event.eventType === "clicked") {
          same<typeof event.clickUrl, string>(true);
          same<typeof event.rejectReason, null>(true);
          seen.push(event.clickUrl.toUpperCase());
        } else if (event.eventType === "bounced") {
          same<typeof event.rejectReason, RejectReason | null>(true);
          same<typeof event.clickUrl, string | null>(true);
          seen.push(event.rejectReason ?? "no reason");
        } else if (event.eventType === "delivered") {
          same<typeof event.rejectReason, null>(true);
          // @ts-expect-error a delivered event's type cannot be compared with "bounced"
          if (event.eventType === "bounced") seen.push("impossible");
        }
      });
      return (async () => {
        await emitter.dispatch(
          "tracking",
          new AnymailTrackingEvent({ eventType: "clicked", clickUrl: "https://x", espEvent: {} }),
          "Test",
        );
        await emitter.dispatch(
          "tracking",
          new AnymailTrackingEvent({ eventType: "bounced", rejectReason: "spam", espEvent: {} }),
          "Test",
        );
        expect(seen).to.deep.equal(["HTTPS://X", "spam"]);
      })();
    });

    it("keeps its promises at run time: a clicked event always has a clickUrl string", () => {
      const clicked = new AnymailTrackingEvent({ eventType: "clicked", espEvent: {} });
      expect(clicked.clickUrl).to.equal("");
      const opened = new AnymailTrackingEvent({
        eventType: "opened",
        rejectReason: "other",
        espEvent: {},
      });
      expect(opened.rejectReason).to.equal(null);
      // a complaint keeps its reason (django-anymail reports "spam" there)
      const complained = new AnymailTrackingEvent({
        eventType: "complained",
        rejectReason: "spam",
        espEvent: {},
      });
      expect(complained.rejectReason).to.equal("spam");
    });

    it("TrackingEventOf names one member; asTrackingEvent narrows a built event", () => {
      const event = asTrackingEvent(
        new AnymailTrackingEvent({ eventType: "clicked", clickUrl: "u", espEvent: null }),
      );
      if (event.eventType !== "clicked") throw new Error("expected clicked");
      same<typeof event, TrackingEventOf<"clicked">>(true);
      // @ts-expect-error "clicks" is not an event type
      const wrong: TrackingEventOf<"clicks"> | undefined = undefined;
      void wrong;
      // @ts-expect-error the class alone does not narrow
      const url: string = new AnymailTrackingEvent({ eventType: "clicked", espEvent: 1 }).clickUrl;
      expect(url).to.equal("");
    });

    it("dispatch still takes events as adapters build them", async () => {
      const emitter = new AnymailEmitter();
      const built: AnymailTrackingEvent = new AnymailTrackingEvent({
        eventType: "sent",
        espEvent: {},
      });
      let got: TrackingEvent | undefined;
      emitter.on("tracking", (event) => {
        got = event;
      });
      await emitter.dispatch("tracking", built, "Test");
      expect(got).to.equal(built);
      // @ts-expect-error listeners' arguments are typed: the second is the ESP's name
      emitter.on("tracking", (_event, espName: number) => espName);
    });
  });

  describe("AnymailStatus.messageIds", () => {
    it("is always a string[] beside the spec's string | Set messageId", () => {
      const status = new AnymailStatus();
      same<typeof status.messageIds, string[]>(true);
      same<typeof status.messageId, string | Set<string | null> | null>(true);
      expect(status.messageIds).to.deep.equal([]);
      status.setRecipients(
        {
          "a@example.com": { status: "sent", messageId: "one" },
          "b@example.com": { status: "sent", messageId: "one" },
        },
        null,
      );
      expect(status.messageId).to.equal("one");
      expect(status.messageIds).to.deep.equal(["one"]);
      status.setRecipients(
        {
          "a@example.com": { status: "sent", messageId: "one" },
          "b@example.com": { status: "queued", messageId: "two" },
          "c@example.com": { status: "rejected", messageId: null },
        },
        null,
      );
      expect(status.messageId).to.be.instanceOf(Set);
      expect(status.messageIds).to.deep.equal(["one", "two"]);
    });
  });
});
