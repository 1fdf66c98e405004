/**
 * Secrets at rest: what the settings screen saves is encrypted with the OS keychain (`safeStorage`)
 * before it reaches the settings file, and `{encrypted}` secrets are decrypted for the core only.
 * Also what the settings screen says about that keychain.
 */
import type { SecretStorage } from '../../common/settings.js';
import { ConfigError } from '../config.js';
import type { ShellElectron } from '../electron-api.js';

/** Says what the OS keychain does for stored secrets, for the settings screen. */
export function secretStorageOf(electron: ShellElectron, platform: NodeJS.Platform): SecretStorage {
  if (!electron.safeStorage.isEncryptionAvailable()) {
    return { protected: false, note: 'This computer offers no keychain, so secrets cannot be stored here. Put them in a config file as {"env": "VARIABLE"} instead.' };
  }
  if (platform === 'linux' && electron.safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return {
      protected: false,
      note: 'No keyring (GNOME Keyring or KWallet) is running, so stored secrets are only obfuscated with a key built into Electron: anyone who can read your files can recover them. Start a keyring, or put secrets in a config file as {"env": "VARIABLE"}.',
    };
  }
  return { protected: true, note: 'Secrets are encrypted with your operating system’s keychain.' };
}

/** Encrypts and decrypts secrets with the OS keychain; the text at rest is base64. */
export interface Keychain {
  /** @throws {ConfigError} when the OS offers no keychain (the settings screen shows why). */
  encrypt(plain: string): string;
  /** @throws {Error} when the OS offers no keychain, or the text was not encrypted by it. */
  decrypt(base64: string): string;
}

/** The OS keychain over Electron's `safeStorage` (usable after `ready`). */
export function keychain(electron: ShellElectron): Keychain {
  const { safeStorage } = electron;
  return {
    encrypt(plain) {
      if (!safeStorage.isEncryptionAvailable()) throw new ConfigError('the OS keychain is not available, so secrets cannot be stored safely; use a config file with {"env": …}');
      return safeStorage.encryptString(plain).toString('base64');
    },
    decrypt(base64) {
      if (!safeStorage.isEncryptionAvailable()) throw new Error('the OS keychain is not available');
      return safeStorage.decryptString(Buffer.from(base64, 'base64'));
    },
  };
}
