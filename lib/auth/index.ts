export { authOptions, buildAuthOptions, oidcProvider } from "./options";
export { signUp, checkCredentials, upsertOidcUser, type AccountResult } from "./accounts";
export { hashPassword, verifyPassword } from "./password";
export { signUpSchema, signInSchema, emailSchema, fieldErrors, MIN_PASSWORD_LENGTH } from "./validation";
export { currentUser, requireUser, requireCourseRole, guardCourseRoute } from "./guard";
export {
  courseAccess,
  cachedCourseAccess,
  sessionUserId,
  sessionTokenFromCookieHeader,
  atLeast,
  type CourseAccess,
  type SessionUser,
} from "./access";
