export function crc32(bytes: Uint8Array): number;
export function storedZip(name: string, content: Uint8Array): Buffer;
export interface ZipEntry {
  name: string;
  method: number;
  mode: number;
  crc: number;
  crcOk: boolean;
  dosTime: number;
  dosDate: number;
  content: Buffer;
}
export function readStoredZip(zip: Uint8Array): ZipEntry[];
