/** Base of the errors services throw; the HTTP layer maps each to a problem+json status. */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The object does not exist (or the actor may not know that it does). */
export class NotFoundError extends DomainError {}
/** The actor is known but lacks the permission. */
export class ForbiddenError extends DomainError {}
/** No valid credentials. */
export class UnauthenticatedError extends DomainError {}
/** The request conflicts with the current state (duplicate name, wrong lifecycle step). */
export class ConflictError extends DomainError {}
/** Input that passed the schema but breaks a rule; `errors` name the fields. */
export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly errors: { field: string; message: string }[] = [],
  ) {
    super(message, { errors });
  }
}
