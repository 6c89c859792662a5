/** The token of the service's SealSigner (Ed25519). */
export const SEAL_SIGNER = Symbol('SEAL_SIGNER');
