/**
 * Before a post-mortem with flagged wording goes to the channel: the words and where they are,
 * right above the Publish button, with the focus on it. Publishing anyway is the person's call;
 * the card then does not call the post-mortem blameless.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { PostmortemJson } from './types.js';

interface Props {
  readonly version: number;
  readonly warnings: PostmortemJson['warnings'];
  readonly busy: boolean;
  readonly onPublish: () => void;
  readonly onBack: () => void;
}

export function PublishCheck({ version, warnings, busy, onPublish, onBack }: Props) {
  const panel = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    panel.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <section class="publish-check" ref={panel} data-testid="pm-publish-check" aria-labelledby="pm-publish-heading">
      <h3 id="pm-publish-heading" ref={heading} tabIndex={-1}>
        Version {version} has wording the blameless check flagged
      </h3>
      <ul>
        {warnings.map((w) => (
          <li>
            “{w.phrase}” in <strong>{w.where}</strong>: {w.hint}
          </li>
        ))}
      </ul>
      <p>Published as it is, the channel card will say it contains flagged wording instead of calling it blameless. You can edit and save a new version first.</p>
      <button type="button" disabled={busy} onClick={onPublish}>
        Publish version {version} as it is
      </button>{' '}
      <button type="button" class="secondary" disabled={busy} onClick={onBack}>
        Go back and edit
      </button>
    </section>
  );
}
