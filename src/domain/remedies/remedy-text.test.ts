import { describe, expect, it } from 'vitest';
import { remedyInstructionsText } from './remedy-text.js';

describe('remedy instructions as letter text', () => {
  it('keeps lists and paragraphs, drops emphasis, and prints links with their address', () => {
    const text = remedyInstructionsText(
      'Log in at [our portal](https://portal.example/login).\r\n\n1. Open **Settings**.\n2. Choose *Password*.',
    );
    expect(text).toBe(
      'Log in at our portal (https://portal.example/login).\n\n1. Open Settings.\n2. Choose Password.',
    );
  });

  it('leaves raw HTML as text and gives nothing for empty instructions', () => {
    expect(remedyInstructionsText('<b>Now</b>')).toBe('<b>Now</b>');
    expect(remedyInstructionsText('  ')).toBe('');
  });
});
