import { Head } from "@mizan/client/react";
import { booking, useBookingForm } from "../generated/react.js";

/**
 * The page at /booking/: the `booking` form, with the date and time inputs
 * its description chooses from each field's format (`datetime-local`,
 * `date`, `time`). The call's start is an instant: the form runtime sends
 * the browser's local time with the browser's offset. The receipt shows
 * the values as the server read them.
 */
export default function BookingPage() {
  const form = useBookingForm();
  const { errors, isSubmitting } = form.formState;
  const rootError = errors.root?.["server"]?.message;
  const receipt = form.result;
  return (
    <main>
      <Head title="Booking" />
      <h1>{booking.title}</h1>
      <p>{booking.doc}</p>
      <form id="booking-form" onSubmit={form.onSubmit} noValidate>
        {booking.fields.map((field) => {
          const id = `booking-${field.name}`;
          const error = errors[field.name]?.message;
          return (
            <p key={field.name}>
              <label htmlFor={id}>{field.label}</label>{" "}
              <input
                id={id}
                type={field.widget}
                // Seconds may be given in the time inputs.
                step={field.widget === "date" ? undefined : 1}
                required={field.required}
                aria-invalid={error !== undefined}
                aria-describedby={error !== undefined ? `${id}-error` : undefined}
                {...form.register(field.name)}
              />
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
          Book
        </button>
      </form>
      {receipt !== undefined && (
        <dl role="status" id="booking-sent">
          <dt>Call starts at (UTC)</dt>
          <dd data-field="starts_at">{receipt.starts_at}</dd>
          <dt>Day off</dt>
          <dd data-field="day_off">{receipt.day_off}</dd>
          <dt>Daily stand-up</dt>
          <dd data-field="standup">{receipt.standup}</dd>
          <dt>Remind me at</dt>
          <dd data-field="remind_at">{receipt.remind_at ?? "no reminder"}</dd>
        </dl>
      )}
    </main>
  );
}
