// TensorFlow's error codes as JS Error subclasses, named as in Python's tf.errors.

/** Base of every error that TensorFlow reports through a TF_Status (Python's tf.errors.OpError). */
export class OpError extends Error {
  /** TF's numeric error code (TF_Code). */
  readonly code: number;
  constructor(message: string, code: number) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

export class CancelledError extends OpError {
  constructor(message: string) {
    super(message, 1);
  }
}
export class UnknownError extends OpError {
  constructor(message: string) {
    super(message, 2);
  }
}
export class InvalidArgumentError extends OpError {
  constructor(message: string) {
    super(message, 3);
  }
}
export class DeadlineExceededError extends OpError {
  constructor(message: string) {
    super(message, 4);
  }
}
export class NotFoundError extends OpError {
  constructor(message: string) {
    super(message, 5);
  }
}
export class AlreadyExistsError extends OpError {
  constructor(message: string) {
    super(message, 6);
  }
}
export class PermissionDeniedError extends OpError {
  constructor(message: string) {
    super(message, 7);
  }
}
export class ResourceExhaustedError extends OpError {
  constructor(message: string) {
    super(message, 8);
  }
}
export class FailedPreconditionError extends OpError {
  constructor(message: string) {
    super(message, 9);
  }
}
export class AbortedError extends OpError {
  constructor(message: string) {
    super(message, 10);
  }
}
export class OutOfRangeError extends OpError {
  constructor(message: string) {
    super(message, 11);
  }
}
export class UnimplementedError extends OpError {
  constructor(message: string) {
    super(message, 12);
  }
}
export class InternalError extends OpError {
  constructor(message: string) {
    super(message, 13);
  }
}
export class UnavailableError extends OpError {
  constructor(message: string) {
    super(message, 14);
  }
}
export class DataLossError extends OpError {
  constructor(message: string) {
    super(message, 15);
  }
}
export class UnauthenticatedError extends OpError {
  constructor(message: string) {
    super(message, 16);
  }
}

const BY_CODE: Record<number, new (message: string) => OpError> = {
  1: CancelledError,
  2: UnknownError,
  3: InvalidArgumentError,
  4: DeadlineExceededError,
  5: NotFoundError,
  6: AlreadyExistsError,
  7: PermissionDeniedError,
  8: ResourceExhaustedError,
  9: FailedPreconditionError,
  10: AbortedError,
  11: OutOfRangeError,
  12: UnimplementedError,
  13: InternalError,
  14: UnavailableError,
  15: DataLossError,
  16: UnauthenticatedError,
};

/** The error for a TF status code; a code TF may add later still gets an OpError carrying it. */
export function createError(code: number, message: string): OpError {
  const ErrorClass = BY_CODE[code];
  return ErrorClass ? new ErrorClass(message) : new OpError(message, code);
}
