import { describe, expect, it } from 'vitest';
import { letterAddress, MAX_ADDRESS_LINES } from './letter-address.js';

const base = {
  name: 'Marieke Jansen',
  street: 'Dorpsstraat 12',
  postalCode: '1234 AB',
  city: 'Amsterdam',
  country: 'NL',
};

describe('letterAddress', () => {
  it('writes a Dutch address as the post reads it', () => {
    expect(letterAddress(base)).toEqual({
      printable: true,
      lines: ['Marieke Jansen', 'Dorpsstraat 12', '1234 AB  AMSTERDAM', 'NEDERLAND'],
    });
  });

  it('puts the postcode below the town for the UK and Ireland', () => {
    const uk = {
      ...base,
      street: '10 Downing Street',
      postalCode: 'sw1a 2aa',
      city: 'London',
      country: 'gb',
    };
    expect(letterAddress(uk)).toEqual({
      printable: true,
      lines: ['Marieke Jansen', '10 Downing Street', 'LONDON', 'SW1A 2AA', 'UNITED KINGDOM'],
    });
  });

  it('names every missing field, and needs no name', () => {
    expect(letterAddress({ ...base, street: ' ', postalCode: null, city: '' })).toEqual({
      printable: false,
      reasons: ['no street', 'no postal_code', 'no city'],
    });
    expect(letterAddress({ ...base, name: null, country: null })).toEqual({
      printable: true,
      lines: ['Dorpsstraat 12', '1234 AB  AMSTERDAM'],
    });
  });

  it('never writes more lines than the window holds', () => {
    const long = { ...base, street: 'Gebouw A, Verdieping 3, Kamer 12, Postbus 7, Dorpsstraat 12' };
    const address = letterAddress(long);
    expect(address.printable && address.lines.length).toBe(MAX_ADDRESS_LINES);
    expect(address.printable && address.lines.slice(-2)).toEqual([
      '1234 AB  AMSTERDAM',
      'NEDERLAND',
    ]);
  });
});
