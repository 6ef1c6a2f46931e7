// Ftrl, Lion, Lamb, Adafactor, and SGD with momentum under schedules, against Keras 3
// (test/fixtures/optimizers_more.json; the other optimizers' runs: keras_optimizers_more.test.ts).
import { parityTests } from './helpers/optimizer_parity';

parityTests(['Ftrl', 'Lion', 'Lamb', 'Adafactor', 'SGD']);
