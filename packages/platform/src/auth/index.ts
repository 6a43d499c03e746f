export * from './authConfig';
export * from './keys';
export * from './Viewer';
export * from './RevocationList';
export { TokenIssuer, type IssuedToken } from './TokenIssuer';
export { TokenVerifier, type VerifierOptions } from './TokenVerifier';
export { authenticateRequest } from './authenticateRequest';
export * from './AuthServices';
export { ProfileOwnership } from './ProfileOwnership';
