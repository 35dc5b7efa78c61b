/**
 * `@mizan/client`: the runtime generated code imports. No React here; hooks
 * live in `@mizan/client/react`.
 *
 * @packageDocumentation
 */

export {
  MizanError,
  isMizanError,
  fieldErrors,
  isMizanErrorIn,
  statusForCode,
  PROTOCOL_ERROR_STATUS,
  type ErrorCode,
  type KnownErrorCode,
  type ProtocolErrorCode,
  type ClientErrorCode,
  type Issue,
  type IssueCode,
  type FieldErrors,
  type MizanErrorInit,
  type TypedMizanError,
  type FrameworkMizanError,
} from "./errors.js";
export { createClient, DEFAULT_MAX_BATCH, type MizanClient } from "./client.js";
export { MAX_GET_URL_BYTES } from "./transport.js";
export { NDJSON } from "./stream.js";
export { LineDecoder } from "./ndjson.js";
export { getClient, setClient, configure } from "./default-client.js";
export type {
  ClientOptions,
  CallOptions,
  ClientCallOptions,
  FetchLike,
  HeadersOption,
  UploadOptions,
  UploadProgress,
} from "./options.js";
export { uploadForm } from "./upload.js";
export { queryKey, infiniteQueryKey, type MizanQueryKey, type MizanInfiniteQueryKey } from "./query-key.js";
export { CSRF_COOKIE, CSRF_HEADER } from "./csrf.js";
export {
  ChannelSocket,
  getChannelSocket,
  configureChannels,
  subscribe,
  backoffDelay,
  MAX_QUEUED_SENDS,
  type ChannelSocketOptions,
  type ChannelSubscription,
  type SubscriptionState,
  type SubscriptionStatus,
  type WebSocketLike,
} from "./channel/socket.js";
export { toBrowserLocal, withBrowserOffset } from "./datetime-local.js";
export { acceptOf, fileField, fileValue, isFileField, isFileList, withoutFiles } from "./form-files.js";
export {
  formErrorTargets,
  initialValues,
  isLocalInstant,
  numberValue,
  ROOT_ERROR,
  wireValues,
  withoutBlankOptionals,
  type FormChoice,
  type FormConstraints,
  type FormErrorTarget,
  type FormFieldMeta,
  type FormMeta,
  type FormWidget,
  type MizanForm,
  type ValuesSchema,
} from "./forms.js";
