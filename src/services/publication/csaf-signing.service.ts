import fs from 'node:fs/promises';
import * as openpgp from 'openpgp';

/**
 * The OpenPGP key of the public record: detached signatures for CSAF documents (CSAF
 * requirement 19) and the cleartext signature of security.txt (RFC 9116 section 2.3).
 */
export interface PublicRecordSigner {
  /** Upper-case hex fingerprint, as provider-metadata.json lists it. */
  fingerprint: string;
  /** The armored public key (never the private one). */
  publicKeyArmored: string;
  /** An armored detached signature over the exact bytes of `text` (UTF-8). */
  signDetached(text: string): Promise<string>;
  /** The text wrapped in an armored cleartext signature. */
  signCleartext(text: string): Promise<string>;
}

/** Reads and unlocks the configured key; fails with a message naming the file. */
export async function loadSigner(config: {
  keyFile: string;
  passphraseFile: string | null;
}): Promise<PublicRecordSigner> {
  let armored: string;
  try {
    armored = await fs.readFile(config.keyFile, 'utf8');
  } catch (error) {
    throw new Error(`CANDOR_OPENPGP_KEY_FILE (${config.keyFile}): ${(error as Error).message}`, {
      cause: error,
    });
  }
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armored });
  } catch (error) {
    throw new Error(
      `CANDOR_OPENPGP_KEY_FILE (${config.keyFile}): not an armored OpenPGP private key`,
      {
        cause: error,
      },
    );
  }
  if (!key.isDecrypted()) {
    if (!config.passphraseFile) {
      throw new Error(
        `CANDOR_OPENPGP_KEY_FILE (${config.keyFile}): the key is locked; set CANDOR_OPENPGP_PASSPHRASE_FILE`,
      );
    }
    const passphrase = (await fs.readFile(config.passphraseFile, 'utf8')).replace(/\r?\n$/, '');
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase });
    } catch (error) {
      throw new Error(
        `CANDOR_OPENPGP_PASSPHRASE_FILE (${config.passphraseFile}): wrong passphrase`,
        {
          cause: error,
        },
      );
    }
  }
  return signerFor(key);
}

// openpgp's sign() return type is conditional on web stream types the linter cannot
// resolve; for a Uint8Array message with armored output it is a string.
const signDetachedArmored = openpgp.sign as (
  options: openpgp.SignOptions & {
    message: openpgp.Message<Uint8Array>;
    detached: true;
    format: 'armored';
  },
) => Promise<string>;

/** A signer around an unlocked private key (tests generate one). */
export function signerFor(key: openpgp.PrivateKey): PublicRecordSigner {
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    publicKeyArmored: key.toPublic().armor(),
    async signDetached(text) {
      const message = await openpgp.createMessage({ binary: new TextEncoder().encode(text) });
      const signature = await signDetachedArmored({
        message,
        signingKeys: key,
        detached: true,
        format: 'armored',
      });
      return signature;
    },
    async signCleartext(text) {
      const message = await openpgp.createCleartextMessage({ text });
      const signed: string = await openpgp.sign({ message, signingKeys: key, format: 'armored' });
      return signed;
    },
  };
}
