/** Plain-language descriptions of the OpenID Connect scopes shown on the consent page. */
export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Know who you are (your account identifier)',
  profile: 'See your name, username and profile details',
  email: 'See your email address',
  phone: 'See your phone number',
  address: 'See your postal address',
  offline_access: 'Stay connected when you are not using it',
  roles: 'See which roles you hold',
  permissions: 'See what your roles allow you to do',
};

export function describeScope(scope: string): string {
  return SCOPE_DESCRIPTIONS[scope] ?? scope;
}
