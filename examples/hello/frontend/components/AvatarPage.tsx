import { acceptOf, isFileList } from "@mizan/client";
import { avatar, useAvatarForm } from "../generated/react.js";

/**
 * The page at /avatar/: the `avatar` form, a name and a picture, drawn from
 * its generated description and driven by `useAvatarForm()`. The file
 * input gives the form its first `File`; the Zod schema checks its size and
 * type in the browser, the submission is an upload call whose progress is
 * shown, and the server's limits and rules come back as field errors on
 * their inputs. A received picture shows the server's receipt.
 */
export default function AvatarPage() {
  const form = useAvatarForm();
  const { errors, isSubmitting } = form.formState;
  const rootError = errors.root?.["server"]?.message;
  const progress = form.uploadProgress;
  return (
    <main>
      <h1>{avatar.title}</h1>
      <p>{avatar.doc}</p>
      <form id="avatar-form" onSubmit={form.onSubmit} noValidate>
        {avatar.fields.map((field) => {
          const id = `avatar-${field.name}`;
          const error = errors[field.name]?.message;
          const input = {
            id,
            required: field.required,
            "aria-invalid": error !== undefined,
            "aria-describedby": error !== undefined ? `${id}-error` : undefined,
            ...form.register(field.name),
          };
          return (
            <p key={field.name}>
              <label htmlFor={id}>{field.label}</label>{" "}
              {field.widget === "file" ? (
                <input type="file" accept={acceptOf(field)} multiple={isFileList(field)} {...input} />
              ) : (
                <input type={field.widget} {...input} />
              )}
              {field.help_text !== null && <small>{` ${field.help_text}`}</small>}
              {error !== undefined && (
                <span role="alert" id={`${id}-error`} data-error-for={field.name}>
                  {error}
                </span>
              )}
            </p>
          );
        })}
        {rootError !== undefined && (
          <p role="alert" data-error-for="">
            {rootError}
          </p>
        )}
        <button type="submit" disabled={isSubmitting}>
          Upload
        </button>
        {progress !== null && (
          <progress id="avatar-progress" max={progress.total ?? undefined} value={progress.loaded} />
        )}
      </form>
      {form.result !== undefined && (
        <p role="status" id="avatar-sent" data-size={form.result.size}>
          {form.result.message}
        </p>
      )}
    </main>
  );
}
