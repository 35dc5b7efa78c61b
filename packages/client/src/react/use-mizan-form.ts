/**
 * {@link useMizanForm}: the hook generated form hooks (`useContactForm()`)
 * delegate to: react-hook-form 7 with the form's Zod schema as resolver,
 * submission through the client, and server field errors mapped back with
 * `setError`.
 *
 * @module
 */

import { zodResolver } from "@hookform/resolvers/zod";
import { useCallback, useState, type BaseSyntheticEvent } from "react";
import {
  useForm,
  type DefaultValues,
  type FieldPath,
  type FieldValues,
  type Resolver,
  type UseFormProps,
  type UseFormRegister,
  type UseFormReturn,
} from "react-hook-form";
import type { z } from "zod";
import { isMizanError, type FieldErrors, type MizanError } from "../errors.js";
import { fileField, isFileList, withoutFiles } from "../form-files.js";
import {
  formErrorTargets,
  initialValues,
  numberValue,
  ROOT_ERROR,
  wireValues,
  type FormMeta,
  type MizanForm,
} from "../forms.js";
import type { UploadProgress } from "../options.js";

/**
 * Options of a generated form hook: react-hook-form's `useForm` options (but
 * the resolver) and callbacks. `TError` is the submit function's error union
 * when the form declares errors, else {@link MizanError}.
 */
export interface MizanFormOptions<TValues extends FieldValues, TOut, TError extends MizanError = MizanError>
  extends Omit<UseFormProps<TValues>, "resolver"> {
  /** Runs after a successful submission, with the handler's output. */
  onSuccess?: (output: TOut, values: TValues) => void | Promise<void>;
  /** Runs when the server refuses a submission (after its errors are set on the form). */
  onError?: (error: TError, values: TValues) => void;
  /** Resets the form to its default values after a successful submission. Default `false`. */
  resetOnSuccess?: boolean;
}

/** What a generated form hook returns: react-hook-form's `useForm` result plus the submission's state. */
export type MizanFormResult<
  TValues extends FieldValues,
  TOut,
  TError extends MizanError = MizanError,
> = UseFormReturn<TValues> & {
  /**
   * For `<form onSubmit={…}>`: validates with the Zod schema, submits through
   * `NAME.submit`, and maps a refusal's field errors onto the fields (whole-form
   * and unknown-key errors onto `errors.root.server`).
   */
  onSubmit: (event?: BaseSyntheticEvent) => Promise<void>;
  /**
   * Asks the server (`NAME.validate`, server-only rules included) about the
   * current values and sets its errors on the form; resolves `true` when valid.
   */
  validateOnServer: () => Promise<boolean>;
  /** The output of the last successful submission. */
  result: TOut | undefined;
  /** The error of the last failed submission, `null` after a success. */
  error: TError | null;
  /** The form's description (title, fields with labels, widgets, choices, help text). */
  meta: FormMeta;
  /**
   * A form with a file field: how much of the last submission's body has
   * been sent (updated as it goes, through XMLHttpRequest); `null` before
   * the first submission and for a form without files.
   */
  uploadProgress: UploadProgress | null;
};

/** A generated form object whose `values` is a Zod schema. */
export type ZodMizanForm<TValues, TOut> = MizanForm<TValues, TOut> & { readonly values: z.ZodType<TValues> };

/**
 * react-hook-form for `form`. Default values come from the form's
 * description (each field's `initial`) unless `options.defaultValues` is
 * given. An optional field left blank (`""`) is left out of the values
 * that are validated and submitted, and an instant edited in a
 * `datetime-local` input (format `date-time`) gets the browser's offset
 * (`wireValues`); `register` reads a `number` widget's
 * input as a number (unless given its own `setValueAs` / `valueAs…`). A
 * file field's `<input type="file" {...register(name)}>` gives a
 * `FileList`: its first `File` is the value (every `File` for a list), the
 * Zod schema checks its size and type, `validateOnServer` leaves it out
 * (`NAME.validate` takes no files) and `onSubmit` sends it as an upload
 * call with `uploadProgress` updated as the body is sent. Errors other than
 * a `MizanError` (a bug in `onSuccess`, say) are rethrown.
 */
export function useMizanForm<TValues extends FieldValues, TOut, TError extends MizanError = MizanError>(
  form: ZodMizanForm<TValues, TOut>,
  options: MizanFormOptions<TValues, TOut, TError> = {},
): MizanFormResult<TValues, TOut, TError> {
  const { onSuccess, onError, resetOnSuccess = false, ...props } = options;
  // The generated schemas are typed `z.ZodType<T>`: their input is the values too.
  const zod = zodResolver(form.values as z.ZodType<TValues, TValues>) as Resolver<TValues>;
  // Optional fields left blank are absent, and local date-times of instants
  // carry the browser's offset, for Zod and for the server alike.
  const resolver: Resolver<TValues> = (values, context, opts) =>
    zod(wireValues(values, form.fields), context, opts);
  const methods = useForm<TValues>({
    defaultValues: initialValues(form.fields) as DefaultValues<TValues>,
    ...props,
    resolver,
  });
  const [result, setResult] = useState<TOut | undefined>(undefined);
  const [error, setErrorState] = useState<TError | null>(null);
  const [uploadProgress, setUploadProgress] = useState<UploadProgress | null>(null);
  const files = fileField(form.fields);
  const { setError, handleSubmit, getValues, clearErrors, reset } = methods;
  const show = useCallback(
    (errors: FieldErrors): boolean => {
      const targets = formErrorTargets(
        errors,
        form.fields.map((f) => f.name),
        form.fields.filter(isFileList).map((f) => f.name),
      );
      targets.forEach((t, i) => {
        setError(t.name as FieldPath<TValues>, { type: "server", message: t.message }, { shouldFocus: i === 0 });
      });
      return targets.length > 0;
    },
    [form, setError],
  );

  const onSubmit = handleSubmit(async (values: TValues) => {
    try {
      const out = files
        ? await form.submit(values, { onUploadProgress: setUploadProgress })
        : await form.submit(values);
      setResult(out);
      setErrorState(null);
      if (resetOnSuccess) reset();
      await onSuccess?.(out, values);
    } catch (e) {
      if (!isMizanError(e)) throw e;
      // The server answers the submit function's errors only: its declared
      // ones (when the form declares any) and mizan's own.
      const refused = e as TError;
      setErrorState(refused);
      const hasFields = e.code === "VALIDATION" && show(e.fields);
      if (!hasFields) setError(ROOT_ERROR, { type: e.code, message: e.message });
      onError?.(refused, values);
    }
  });

  const validateOnServer = useCallback(async (): Promise<boolean> => {
    const values = withoutFiles(wireValues(getValues(), form.fields), form.fields) as TValues;
    const fields = await form.validate(values);
    clearErrors();
    return !show(fields);
  }, [form, getValues, clearErrors, show]);

  // Number inputs give strings; the schema wants numbers (blank: absent).
  const register: UseFormRegister<TValues> = (name, opts) => {
    const numeric = form.fields.some((f) => f.name === name && f.widget === "number");
    if (!numeric || opts?.setValueAs !== undefined || opts?.valueAsNumber || opts?.valueAsDate) {
      return methods.register(name, opts);
    }
    return methods.register(name, { ...opts, setValueAs: numberValue });
  };

  return { ...methods, register, onSubmit, validateOnServer, result, error, meta: form, uploadProgress };
}
