import {
  HttpError,
  jsonObject,
  stringField,
  type Db,
} from '@paver/service-runtime';
import { patternField } from './input.js';

// Deliberately loose: the PSP validates deliverability; we only refuse what cannot be an address.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface Customer {
  id: string;
  email: string;
  name: string;
  createdAt: Date;
}

export interface NewCustomer {
  email: string;
  name: string;
}

export function parseNewCustomer(raw: unknown): NewCustomer {
  const body = jsonObject(raw);
  stringField(body, 'email', { maxLength: 320 });
  return {
    email: patternField(body, 'email', EMAIL, 'an email address'),
    name: stringField(body, 'name', { maxLength: 200 }),
  };
}

export async function createCustomer(
  db: Db,
  customer: NewCustomer,
): Promise<Customer> {
  const [row] = await db.query<CustomerRow>(
    'INSERT INTO customers (email, name) VALUES ($1, $2) RETURNING *',
    [customer.email, customer.name],
  );
  return toCustomer(row);
}

/** The customer, or a 404 naming the id. */
export async function getCustomer(db: Db, id: string): Promise<Customer> {
  const [row] = await db.query<CustomerRow>(
    'SELECT * FROM customers WHERE id = $1',
    [id],
  );
  if (!row)
    throw new HttpError(404, 'customer_not_found', `no customer with id ${id}`);
  return toCustomer(row);
}

export function customerJson(customer: Customer) {
  return { ...customer, createdAt: customer.createdAt.toISOString() };
}

interface CustomerRow {
  id: string;
  email: string;
  name: string;
  created_at: Date;
}

function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    createdAt: row.created_at,
  };
}
