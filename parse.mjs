import { simpleParser } from 'mailparser';
import fs from 'node:fs';
const m = await simpleParser(fs.readFileSync('/tmp/demo1/mailbox/0000000001.eml'));
console.log(m.subject);
console.log(m.text.slice(0, 1500));
fs.writeFileSync('/tmp/shots/mail-demo.html', m.html);
