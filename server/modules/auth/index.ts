/** The auth module's public face: the ways a person proves who they are. */
export { authenticatePassword, type AuthenticatePasswordDeps, type PasswordAuthResult } from './use-cases/authenticate-password.js';
export { loginThrottle, type LoginThrottle, type LoginThrottleDeps } from './use-cases/login-throttle.js';
