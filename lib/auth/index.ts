export { authOptions, buildAuthOptions, oidcProvider } from "./options";
export { signUp, checkCredentials, upsertOidcUser, CLIENT_ADDRESS_HEADER, type AccountResult, type Client } from "./accounts";
export { TOO_MANY_ATTEMPTS, waitWords } from "./wait";
export { hashPassword, verifyPassword } from "./password";
export { signUpSchema, signInSchema, emailSchema, fieldErrors, MIN_PASSWORD_LENGTH } from "./validation";
export { currentUser, requireUser, requireCourseRole, pageId } from "./guard";
export { safeReturnPath } from "./return-path";
export { watchAccess, announceAccessChange, endSessions } from "./revocation";
export { sessionAccess, sessionOf, sessionTokenFromCookieHeader, atLeast, type CourseAccess, type Session, type SessionUser } from "./access";
