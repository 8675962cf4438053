CREATE TABLE invoices (id uuid PRIMARY KEY, customer_id uuid NOT NULL);
