import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

// The TypeORM CLI (`npm run migration:*`) loads this file and needs a default export.
export default new DataSource(dataSourceOptions(loadConfig().DATABASE_URL));
