import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../../domain/errors.js';
import { sendWorkspaceError } from '../views/workspace/workspace-error.view.js';

/**
 * The workspace's error handler (set in workspace-plugin.ts, so for /app routes only; the rest
 * keep the API's problem+json handler): errors become HTML pages in the workspace's look, as a
 * person reads them, not a program.
 */
export function workspaceErrorHandler(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const { validation = [], validationContext: where = 'request' } = error as FastifyError;
    return sendWorkspaceError(
      reply,
      request,
      400,
      400,
      null,
      validation.map((v) => ({
        field: v.instancePath.split('/').filter(Boolean).join('.') || where,
        message: v.message ?? 'invalid',
      })),
    );
  }
  if (error instanceof ZodError) {
    return sendWorkspaceError(
      reply,
      request,
      400,
      400,
      null,
      error.issues.map((i) => ({ field: i.path.join('.') || '(input)', message: i.message })),
    );
  }
  if (error instanceof DomainError) {
    if (error instanceof NotFoundError)
      return sendWorkspaceError(reply, request, 404, 404, error.message);
    if (error instanceof ForbiddenError)
      return sendWorkspaceError(reply, request, 403, 403, error.message);
    if (error instanceof UnauthenticatedError)
      return sendWorkspaceError(reply, request, 403, 'expired');
    if (error instanceof ConflictError)
      return sendWorkspaceError(reply, request, 409, 409, error.message);
    if (error instanceof ValidationError)
      return sendWorkspaceError(reply, request, 422, 400, error.message, error.errors);
    return sendWorkspaceError(reply, request, 400, 400, error.message);
  }
  const status = (error as FastifyError).statusCode;
  if (status === 413) return sendWorkspaceError(reply, request, 413, 413);
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return sendWorkspaceError(reply, request, status, status === 404 ? 404 : 400, error.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendWorkspaceError(reply, request, 500, 500);
}

/** The not-found answer under /app: an HTML page. */
export function sendWorkspaceNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendWorkspaceError(reply, request, 404, 404);
}
