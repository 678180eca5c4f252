import { z } from 'zod';

/** Who the notices come from: shown in every notice and on every personal page. */
export const organisationSchema = z.object({
  name: z.string().trim().min(1).max(200),
  contactEmail: z.email(),
  contactPhone: z.string().trim().max(50).default(''),
  dpoEmail: z.email().or(z.literal('')).default(''),
  website: z
    .url({ protocol: /^https?$/ })
    .or(z.literal(''))
    .default(''),
  senderName: z.string().trim().max(200).default(''),
  senderEmail: z.email(),
  /** The return address on printed letters: lines separated by commas or line breaks. */
  postalAddress: z.string().trim().max(300).default(''),
});
export type Organisation = z.infer<typeof organisationSchema>;

/** Until someone fills in the settings: clearly a placeholder, never a real address. */
export const DEFAULT_ORGANISATION: Organisation = {
  name: 'Example Hosting B.V.',
  contactEmail: 'security@example.com',
  contactPhone: '',
  dpoEmail: 'privacy@example.com',
  website: 'https://www.example.com',
  senderName: 'Example Hosting Security',
  senderEmail: 'security@example.com',
  postalAddress: 'Voorbeeldstraat 1, 1234 AB Amsterdam',
};
