/**
 * {@link createLocalContext} and {@link useLocalContext}: what generated
 * local context providers (`<GreetProvider name="Ada">`) and their hooks
 * (`useGreet()`) are made of.
 *
 * @module
 */

import type { UseQueryResult } from "@tanstack/react-query";
import { createContext, createElement, useContext, type Context, type ReactNode } from "react";
import type { MizanError } from "../errors.js";
import type { CallOptions } from "../options.js";
import { useMizanQuery } from "./use-mizan-query.js";

/** Where a provider keeps its React context (read by {@link useLocalContext}). */
const CONTEXT = Symbol("mizan.localContext");

/** Props of a local context provider: the function's arguments, and children. */
export type LocalContextProviderProps<TArgs> = TArgs & { children?: ReactNode };

/**
 * What a context hook returns: the TanStack query of its function (for a
 * local context, called with the provider's props).
 */
export type ContextQuery<TOut> = UseQueryResult<TOut, MizanError>;

/** A local context provider component, as made by {@link createLocalContext}. */
export interface LocalContextProvider<TArgs, TOut> {
  (props: LocalContextProviderProps<TArgs>): ReactNode;
  /** The component name React tools show (`GreetProvider`). */
  displayName: string;
  /** @internal */
  readonly [CONTEXT]: Context<ContextQuery<TOut> | null>;
}

/**
 * A provider component for the local context `name` (a function marked
 * `#[mizan::client(context = "local")]`): it calls `fn` with its props (all
 * but `children`) as a TanStack query keyed like any call of it
 * (`["mizan", name, args]`), and gives the query to the components inside,
 * which read it with {@link useLocalContext}. New props fetch again; the
 * query refetches and is invalidated like any other.
 *
 * `displayName` names the provider in errors and React tools (`GreetProvider`).
 */
export function createLocalContext<TArgs extends object, TOut>(
  name: string,
  fn: (args: TArgs, opts: CallOptions) => Promise<TOut>,
  displayName: string,
): LocalContextProvider<TArgs, TOut> {
  const context = createContext<ContextQuery<TOut> | null>(null);
  context.displayName = displayName;
  function Provider(props: LocalContextProviderProps<TArgs>): ReactNode {
    const { children, ...args } = props;
    const value = useMizanQuery(name, fn, args as unknown as TArgs);
    return createElement(context.Provider, { value }, children);
  }
  return Object.assign(Provider, { displayName, [CONTEXT]: context });
}

/**
 * The query the nearest `provider` above provides. Throws when there is none:
 * a local context has no value without its provider's arguments.
 */
export function useLocalContext<TArgs, TOut>(provider: LocalContextProvider<TArgs, TOut>): ContextQuery<TOut> {
  const value = useContext(provider[CONTEXT]);
  if (value === null) {
    throw new Error(
      `mizan: ${provider.displayName}'s context was read outside it: render this component inside <${provider.displayName} …>`,
    );
  }
  return value;
}
