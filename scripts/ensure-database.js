// Creates the database named in DATABASE_URL when it does not exist yet (first start on a fresh machine).
const { Client } = require('pg');

async function main(url) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      console.log(`Created database ${name}.`);
    }
  } finally {
    await client.end();
  }
}

main(process.argv[2] || process.env.DATABASE_URL).catch((error) => {
  console.error(`Could not create the database: ${error.message}`);
  process.exit(1);
});
