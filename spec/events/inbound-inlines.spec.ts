import { expect } from "chai";
import { webhookApp } from "../helpers/webhooks.js";
import { fakeEsp } from "../middleware/fake-esp.js";

const CRLF = "\r\n";

/** A message as Apple Mail writes it: an inline image directly in multipart/mixed, no Content-ID. */
const appleMail = [
  "From: Sender <sender@example.com>",
  "To: inbound@example.com",
  "Subject: photo",
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="outer"',
  "",
  "--outer",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Look at this:",
  "--outer",
  'Content-Type: image/png; name="photo.png"',
  'Content-Disposition: inline; filename="photo.png"',
  "Content-Transfer-Encoding: base64",
  "",
  "iVBORw0KGgo=",
  "--outer",
  'Content-Type: multipart/related; boundary="rel"',
  "",
  "--rel",
  "Content-Type: text/html; charset=utf-8",
  "",
  '<img src="cid:logo@example.com">',
  "--rel",
  "Content-Type: image/gif",
  "Content-ID: <logo@example.com>",
  "Content-Disposition: inline",
  "Content-Transfer-Encoding: base64",
  "",
  "R0lGODlhAQABAAAAACw=",
  "--rel--",
  "--outer",
  "Content-Type: application/octet-stream",
  'Content-Disposition: attachment; filename="\\\\share\\\\mail\\\\forwarded.msg"',
  "",
  "data",
  "--outer",
  "Content-Type: text/plain",
  'Content-Disposition: attachment; filename="../../etc/passwd"',
  "",
  "nope",
  "--outer",
  "Content-Type: text/plain",
  "Content-Disposition: attachment; filename*=utf-8''a%0D%0Ab%0Ac.txt",
  "",
  "crlf",
  "--outer",
  "Content-Type: text/plain",
  'Content-Disposition: attachment; filename=".."',
  "",
  "dots",
  "--outer--",
  "",
].join(CRLF);

async function receive(raw: string) {
  const hook = webhookApp({ esps: [fakeEsp] });
  await hook.post("/fake/inbound/").set("Content-Type", "message/rfc822").send(raw).expect(200);
  expect(hook.inbound).to.have.length(1);
  return hook.inbound[0].message;
}

describe("Inbound inline content and filenames, received through the router", () => {
  it("[#17 item 15] inlines lists every inline part, with or without a Content-ID", async () => {
    const message = await receive(appleMail);
    expect(message.inlines.map((part) => part.getContentType())).to.deep.equal([
      "image/png",
      "image/gif",
    ]);
    expect(message.inlines.every((part) => part.isInline())).to.equal(true);
    expect(message.inlines[0].getContentId()).to.equal(null);
  });

  it("[#17 item 15] contentIdMap maps Content-IDs; inlineAttachments and isInlineAttachment stay as aliases", async () => {
    const message = await receive(appleMail);
    expect(Object.keys(message.contentIdMap)).to.deep.equal(["logo@example.com"]);
    expect(message.inlineAttachments).to.equal(message.contentIdMap);
    const logo = message.contentIdMap["logo@example.com"];
    expect(logo.isInlineAttachment()).to.equal(true);
    // the Content-ID-less inline image is also an attachment, so nothing is lost for 8.1 code
    expect(message.attachments.map((a) => a.getContentType())).to.include("image/png");
  });

  it("[#17 item 10] getFilename keeps only the last path component; control characters become spaces", async () => {
    const message = await receive(appleMail);
    const names = message.attachments.map((a) => a.getFilename());
    expect(names).to.include("forwarded.msg").and.include("passwd").and.include("a  b c.txt");
    for (const name of names) {
      if (name === null) continue;
      expect(name).to.not.match(/[\\/\r\n]/);
      expect(name).to.not.match(/^\.+$/);
    }
    // ".." names nothing at all, and the raw value is still in the part's headers
    const dots = message.attachments.find((a) => a.getContentText() === "dots");
    expect(dots?.getFilename()).to.equal(null);
    expect(dots?.get("Content-Disposition")).to.include('".."');
  });
});
