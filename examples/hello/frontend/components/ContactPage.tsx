import { Head } from "@mizan/client/react";
import { contact, useContactForm } from "../generated/react.js";

/**
 * The page at /contact/: the `contact` form, drawn from its generated
 * description (labels, widgets, help text) and driven by `useContactForm()`.
 * The browser checks the Zod schema first; the server's own rule (no spam)
 * comes back as a field error on `message`; a sent message shows the
 * server's receipt. Needs no provider: the form submits through the default
 * client (`/api/mizan`).
 */
export default function ContactPage() {
  const form = useContactForm({ resetOnSuccess: true });
  const { errors, isSubmitting } = form.formState;
  const rootError = errors.root?.["server"]?.message;
  return (
    <main>
      <Head title="Contact" />
      <h1>{contact.title}</h1>
      <p>{contact.doc}</p>
      <form id="contact-form" onSubmit={form.onSubmit} noValidate>
        {contact.fields.map((field) => {
          const id = `contact-${field.name}`;
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
              {field.widget === "textarea" ? <textarea rows={4} {...input} /> : <input type={field.widget} {...input} />}
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
          Send
        </button>
      </form>
      {form.result !== undefined && (
        <p role="status" id="contact-sent" data-number={form.result.number}>
          {form.result.message}
        </p>
      )}
    </main>
  );
}
