import { checkContract, ContractError } from '../src/platform/contract.js';
import type { Route } from '../src/platform/http.js';

const ok = async () => ({ status: 200 });
const routes: Route[] = [{ method: 'GET', path: '/widgets/:id', operationId: 'getWidget', handler: ok }];

const valid = `
openapi: 3.0.3
info: { title: widgets, version: 1.0.0 }
paths:
  /widgets/{id}:
    get:
      operationId: getWidget
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        '200': { description: the widget, content: { application/json: { schema: { $ref: '#/components/schemas/Widget' } } } }
components:
  schemas:
    Widget: { type: object }
`;

function problemsOf(text: string, served: Route[] = routes): string[] {
  try {
    checkContract(text, served, ['/healthz']);
    return [];
  } catch (error) {
    if (error instanceof ContractError) return error.problems;
    throw error;
  }
}

describe('the contract check', () => {
  it('accepts a document that matches the routes', () => {
    expect(problemsOf(valid)).toEqual([]);
  });

  it('names the path of a structural error', () => {
    const broken = valid.replace("'200': { description: the widget,", "'200': {");
    expect(problemsOf(broken)).toContain('paths["/widgets/{id}"].get.responses["200"].description: is required');
  });

  it('rejects a document that is not OpenAPI 3', () => {
    expect(problemsOf('swagger: "2.0"\ninfo: { title: x, version: "1" }\npaths: {}\n')).toContain(
      'openapi: must be a version string like "3.0.3"',
    );
  });

  it('reports a $ref that does not resolve', () => {
    const broken = valid.replace('#/components/schemas/Widget', '#/components/schemas/Gadget');
    expect(problemsOf(broken).join('\n')).toMatch(/\$ref: #\/components\/schemas\/Gadget does not resolve/);
  });

  it('reports an undeclared path parameter', () => {
    const broken = valid.replace('parameters: [{ name: id, in: path, required: true, schema: { type: string } }]', 'parameters: []');
    expect(problemsOf(broken)).toContain('paths["/widgets/{id}"].get.parameters: path parameter "id" is not declared');
  });

  it('reports a route that is served but not documented', () => {
    const more: Route[] = [...routes, { method: 'DELETE', path: '/widgets/:id', operationId: 'deleteWidget', handler: ok }];
    expect(problemsOf(valid, more).join('\n')).toMatch(/deleteWidget \(DELETE \/widgets\/:id\) is served but not documented/);
  });

  it('reports an operation that is documented but not served', () => {
    expect(problemsOf(valid, [])).toContain('paths["/widgets/{id}"].get: documented but not served');
  });

  it('reports YAML syntax errors with their position', () => {
    expect(problemsOf('openapi: [3.0.3\n').join('\n')).toMatch(/\(yaml\):.*line 2/);
  });
});
