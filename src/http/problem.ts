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
} from '../domain/errors.js';

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { field: string; message: string }[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** Sends a problem+json response. */
export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  detail?: string,
  errors?: Problem['errors'],
): FastifyReply {
  const problem: Problem = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    instance: request.url,
    ...(errors ? { errors } : {}),
  };
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="candor"');
  return reply.status(status).type('application/problem+json').send(problem);
}

/** Maps domain, validation and framework errors to problems; never leaks internals on 5xx. */
export function errorHandler(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const { validation = [], validationContext: where = 'request' } = error as FastifyError;
    return sendProblem(
      reply,
      request,
      400,
      `invalid ${where}`,
      validation.map((v) => ({
        field: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'invalid',
      })),
    );
  }
  if (error instanceof ZodError) {
    return sendProblem(
      reply,
      request,
      400,
      'invalid input',
      error.issues.map((i) => ({ field: i.path.join('.') || '(input)', message: i.message })),
    );
  }
  if (error instanceof DomainError) {
    const status =
      error instanceof NotFoundError
        ? 404
        : error instanceof ForbiddenError
          ? 403
          : error instanceof UnauthenticatedError
            ? 401
            : error instanceof ConflictError
              ? 409
              : error instanceof ValidationError
                ? 422
                : 400;
    return sendProblem(
      reply,
      request,
      status,
      error.message,
      error instanceof ValidationError && error.errors.length > 0 ? error.errors : undefined,
    );
  }
  const status = (error as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return sendProblem(reply, request, status, error.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, request, 500, 'An internal error occurred; it has been logged.');
}
