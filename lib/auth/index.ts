export { authOptions, buildAuthOptions, oidcProvider } from "./options";
export { signUp, checkCredentials, upsertOidcUser, type AccountResult } from "./accounts";
export { hashPassword, verifyPassword } from "./password";
export { signUpSchema, signInSchema, emailSchema, fieldErrors, MIN_PASSWORD_LENGTH } from "./validation";
export {
  currentUser,
  requireUser,
  courseAccess,
  requireCourseRole,
  guardCourseRoute,
  atLeast,
  type CourseAccess,
  type SessionUser,
} from "./guard";
