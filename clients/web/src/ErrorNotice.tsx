import type { ApolloError } from '@apollo/client';

interface Shown {
  message: string;
  code?: string;
  requestId?: string;
}

/** Every error the API gave, with its code and the request id to quote in a report. */
function explain(error: ApolloError): Shown[] {
  const shown: Shown[] = error.graphQLErrors.map((e) => ({
    message: e.message,
    code: e.extensions?.code as string | undefined,
    requestId: e.extensions?.requestId as string | undefined,
  }));
  const network = error.networkError as (Error & { result?: { errors?: { message: string; extensions?: Record<string, unknown> }[] } }) | null;
  if (network) {
    const errors = network.result?.errors;
    if (errors?.length) {
      shown.push(...errors.map((e) => ({ message: e.message, code: e.extensions?.code as string | undefined, requestId: e.extensions?.requestId as string | undefined })));
    } else {
      shown.push({ message: network.message });
    }
  }
  return shown.length ? shown : [{ message: error.message }];
}

export function ErrorNotice({ error }: { error: ApolloError | undefined }) {
  if (!error) return null;
  return (
    <div role="alert" className="error" data-testid="error">
      {explain(error).map((e, i) => (
        <p key={i}>
          {e.code ? <strong>{e.code}: </strong> : null}
          {e.message}
          {e.requestId ? <small> (request {e.requestId})</small> : null}
        </p>
      ))}
    </div>
  );
}
