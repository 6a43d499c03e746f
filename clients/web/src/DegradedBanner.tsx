import { useDegraded } from './degraded';

/** Shown while the latest answers were fallbacks: the screen is usable, but not everything is fresh. */
export function DegradedBanner() {
  const services = useDegraded();
  if (!services.length) return null;
  return (
    <div role="status" className="degraded" data-testid="degraded-banner">
      Some of this page is a fallback: {services.join(', ')} {services.length > 1 ? 'are' : 'is'} not answering, so you may see
      older or less personal rows. It will catch up by itself.
    </div>
  );
}
