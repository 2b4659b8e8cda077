/** The confidential client the external test issuer (external-issuer.ts) knows, for tests to get tokens with. */
export const externalClient = { id: 'e2e-service', secret: 'e2e-service-secret' } as const;
