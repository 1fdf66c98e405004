/**
 * The connector registry: turns a validated account config into a running {@link Connector}.
 * The only place that knows every vendor; adding a platform means one schema in `main/config.ts`
 * and one case here.
 */
import type { SettingsField } from '../../preload/bridge.js';
import type { AccountConfig } from '../config.js';
import type { AccountSeed } from '../desk/store.js';
import type { VendorId } from '../desk/model.js';
import type { SecretRef } from './account.js';
import type { BackoffPolicy, Connector } from './connector.js';
import { createEnreachConnector, ENREACH_PRESENCE_OPTIONS } from './enreach/connector.js';
import { createGenesysConnector, GENESYS_PRESENCE_OPTIONS } from './genesys/connector.js';

/** Display names of the platforms. */
export const VENDOR_NAMES: Readonly<Record<VendorId, string>> = {
  enreach: 'Enreach Voice',
  genesys: 'Genesys',
};

/**
 * The account form of each platform, for the settings screen (the window renders it generically, so
 * vendor field names stay here). `secret` fields are masked before they reach the window.
 */
export const VENDOR_FORMS: ReadonlyArray<{ id: VendorId; name: string; fields: SettingsField[] }> = [
  {
    id: 'enreach',
    name: VENDOR_NAMES.enreach,
    fields: [
      { key: 'user', label: 'Login email', kind: 'email', required: true },
      { key: 'secretKey', label: 'API secret key', kind: 'secret', required: false, help: 'Preferred. Or give the password instead.' },
      { key: 'password', label: 'Password', kind: 'secret', required: false, help: 'Used only to obtain a secret key.' },
      { key: 'apiUrl', label: 'API address', kind: 'url', required: false, help: 'Leave empty to find it from the login email.' },
    ],
  },
  {
    id: 'genesys',
    name: VENDOR_NAMES.genesys,
    fields: [
      { key: 'baseUrl', label: 'Server address', kind: 'url', required: true, help: 'e.g. https://gws.example.com' },
      { key: 'user', label: 'User name', kind: 'text', required: true },
      { key: 'password', label: 'Password', kind: 'secret', required: true },
      { key: 'channels', label: 'Channels', kind: 'choices', required: false, choices: ['voice', 'chat'] },
    ],
  },
];

/** Options every connector takes. */
export interface ConnectorOptions {
  backoff?: BackoffPolicy;
}

/**
 * Builds the connector for an account.
 * @param secret resolves the account's secret references.
 * @throws {Error} from `secret` when a secret cannot be resolved (the caller marks that account failed).
 */
export function createConnector(account: AccountConfig, secret: (ref: SecretRef) => string, options: ConnectorOptions = {}): Connector {
  switch (account.vendor) {
    case 'enreach':
      return createEnreachConnector(
        account,
        {
          secretKey: account.secretKey === undefined ? undefined : secret(account.secretKey),
          password: account.password === undefined ? undefined : secret(account.password),
        },
        options,
      );
    case 'genesys':
      return createGenesysConnector(account, { password: secret(account.password) }, options);
  }
}

/** What the desk shows of an account before it connects. */
export function accountSeed(account: AccountConfig, demo: boolean): AccountSeed {
  return {
    id: account.id,
    vendor: account.vendor,
    label: account.label ?? VENDOR_NAMES[account.vendor],
    demo,
    presenceOptions: [...(account.vendor === 'enreach' ? ENREACH_PRESENCE_OPTIONS : GENESYS_PRESENCE_OPTIONS)],
    // Enreach's RTE and REST documents offer no call control; Genesys dials through the device.
    canDial: account.vendor === 'genesys',
  };
}
