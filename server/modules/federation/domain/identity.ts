/**
 * A federated identity: an account at an upstream OpenID Provider, named by (issuer, subject) as
 * OIDC Core §2 requires (the subject alone is only unique per issuer), that signs in as one user.
 * It is a way to sign in like a password, so it is kept apart from the user's profile.
 */
export interface FederatedIdentity {
  id: string;
  userId: string;
  providerId: string;
  issuer: string;
  subject: string;
  /** The email the upstream asserted when the identity was linked (for display only). */
  email: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** What a validated upstream ID token (and userinfo) says about the person. */
export interface UpstreamIdentity {
  providerId: string;
  issuer: string;
  subject: string;
  email: string | undefined;
  /** Only `email_verified: true` counts; absent or any other value is false. */
  emailVerified: boolean;
  name: string | undefined;
  preferredUsername: string | undefined;
  /** The upstream ID token's `amr` (RFC 8176), empty when absent. */
  amr: string[];
}
