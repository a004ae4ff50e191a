import fs from 'node:fs';
import CFB from 'cfb';

/** The 8 magic bytes of an OLE2 / Compound File Binary container (old .xls/.doc, encrypted OOXML). */
export const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export function isOle2(head: Buffer): boolean {
  return head.length >= 8 && head.subarray(0, 8).equals(OLE2_MAGIC);
}

/**
 * Whether an OLE2 file is a password-protected OOXML document: Office (and LibreOffice) save an
 * encrypted .docx/.xlsx not as a zip but as a compound file holding an `EncryptionInfo` stream and
 * the `EncryptedPackage` (MS-OFFCRYPTO §2.3.4). Read with `cfb` (SheetJS's CFB reader): its
 * directory, not a byte search, so a plain .xls that merely mentions the word is not mistaken.
 * A container that does not parse is not called encrypted.
 */
export async function isEncryptedOoxml(file: string): Promise<boolean> {
  try {
    const container = CFB.read(await fs.promises.readFile(file), { type: 'buffer' });
    return container.FileIndex.some((entry) => entry.type === 2 && entry.name === 'EncryptionInfo');
  } catch {
    return false;
  }
}
