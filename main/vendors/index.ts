/**
 * The connector registry: turns a validated account config into a running {@link Connector}.
 * The only place that knows every vendor; adding a platform means one schema in `main/config.ts`
 * and one case here.
 */
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
