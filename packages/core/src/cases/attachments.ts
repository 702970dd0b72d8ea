import { extname } from "node:path";
import { AppError } from "../errors.ts";

/** Largest attachment accepted, in bytes. */
export const maxAttachmentBytes = 10 * 1024 * 1024;

const types: Record<string, { mediaType: string; magic?: number[] }> = {
  ".pdf": { mediaType: "application/pdf", magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  ".png": { mediaType: "image/png", magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  ".jpg": { mediaType: "image/jpeg", magic: [0xff, 0xd8, 0xff] },
  ".jpeg": { mediaType: "image/jpeg", magic: [0xff, 0xd8, 0xff] },
  ".xlsx": {
    mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    magic: [0x50, 0x4b, 0x03, 0x04],
  },
  ".docx": {
    mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    magic: [0x50, 0x4b, 0x03, 0x04],
  },
  ".txt": { mediaType: "text/plain; charset=utf-8" },
  ".csv": { mediaType: "text/csv; charset=utf-8" },
};

export const attachmentExtensions = Object.keys(types);

/** A display name without folders, control or markup characters; the file itself is stored by its hash. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base
    .replace(/[^\p{L}\p{N}._ -]/gu, "_")
    .replace(/^[.\s]+/, "")
    .trim()
    .slice(0, 200);
  if (!cleaned) throw new AppError("INVALID_INPUT", "file name is not usable");
  return cleaned;
}

/**
 * The media type of an attachment, decided by the server from its extension and confirmed by its first bytes
 * (text must be UTF-8 without NUL bytes); anything else is refused.
 */
export function attachmentType(fileName: string, bytes: Uint8Array): string {
  const ext = extname(fileName).toLowerCase();
  const t = types[ext];
  if (!t) {
    throw new AppError(
      "INVALID_INPUT",
      `file "${fileName}": type not accepted; attach ${attachmentExtensions.join(", ")}`,
    );
  }
  if (bytes.length === 0) throw new AppError("INVALID_INPUT", `file "${fileName}" is empty`);
  if (bytes.length > maxAttachmentBytes) {
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `file "${fileName}" is larger than ${maxAttachmentBytes / 1024 / 1024} MB`,
    );
  }
  if (t.magic) {
    if (!t.magic.every((b, i) => bytes[i] === b)) {
      throw new AppError("INVALID_INPUT", `file "${fileName}" is not a ${ext.slice(1).toUpperCase()} file`);
    }
  } else {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new AppError("INVALID_INPUT", `file "${fileName}" is not UTF-8 text`);
    }
    if (text.includes("\u0000")) throw new AppError("INVALID_INPUT", `file "${fileName}" is not text`);
  }
  return t.mediaType;
}
